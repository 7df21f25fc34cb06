CREATE TABLE "xero_link_import_rows" (
	"import_id" uuid NOT NULL,
	"org_id" text NOT NULL,
	"row" integer NOT NULL,
	"record_type" text NOT NULL,
	"record_id" text NOT NULL,
	"xero_id" text NOT NULL,
	"problem" text,
	CONSTRAINT "xero_link_import_rows_import_id_row_pk" PRIMARY KEY("import_id","row")
);
--> statement-breakpoint
CREATE TABLE "xero_link_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" text NOT NULL,
	"status" text DEFAULT 'verifying' NOT NULL,
	"rows" integer NOT NULL,
	"linked_records" integer,
	"pending_records" integer,
	"message" text,
	"requested_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "xero_prelinks" (
	"org_id" text NOT NULL,
	"record_type" text NOT NULL,
	"record_id" text NOT NULL,
	"xero_id" text NOT NULL,
	"import_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "xero_prelinks_org_id_record_type_record_id_pk" PRIMARY KEY("org_id","record_type","record_id")
);
--> statement-breakpoint
ALTER TABLE "xero_connections" ADD COLUMN "app_client_id" text;--> statement-breakpoint
ALTER TABLE "org_settings" ADD COLUMN "contact_matching" text;--> statement-breakpoint
ALTER TABLE "oauth_states" ADD COLUMN "client_id" text;--> statement-breakpoint
ALTER TABLE "xero_link_import_rows" ADD CONSTRAINT "xero_link_import_rows_import_id_xero_link_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."xero_link_imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "xero_link_imports" ADD CONSTRAINT "xero_link_imports_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "xero_prelinks" ADD CONSTRAINT "xero_prelinks_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "xero_link_import_rows_xero_idx" ON "xero_link_import_rows" USING btree ("import_id","record_type","xero_id");--> statement-breakpoint
CREATE INDEX "xero_link_imports_org_idx" ON "xero_link_imports" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE INDEX "xero_prelinks_xero_idx" ON "xero_prelinks" USING btree ("org_id","record_type","xero_id");