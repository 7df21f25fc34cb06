CREATE TABLE "xero_contact_index" (
	"org_id" text NOT NULL,
	"xero_contact_id" text NOT NULL,
	"contact_number" text,
	"email_lower" text,
	"name_lower" text NOT NULL,
	"status" text NOT NULL,
	"xero_updated_at" timestamp with time zone,
	CONSTRAINT "xero_contact_index_org_id_xero_contact_id_pk" PRIMARY KEY("org_id","xero_contact_id")
);
--> statement-breakpoint
CREATE TABLE "xero_watermarks" (
	"org_id" text NOT NULL,
	"feed" text NOT NULL,
	"modified_since" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "xero_watermarks_org_id_feed_pk" PRIMARY KEY("org_id","feed")
);
--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "emailed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "xero_contact_index" ADD CONSTRAINT "xero_contact_index_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "xero_watermarks" ADD CONSTRAINT "xero_watermarks_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "xero_contact_index_number_idx" ON "xero_contact_index" USING btree ("org_id","contact_number");--> statement-breakpoint
CREATE INDEX "xero_contact_index_email_idx" ON "xero_contact_index" USING btree ("org_id","email_lower");--> statement-breakpoint
CREATE INDEX "xero_contact_index_name_idx" ON "xero_contact_index" USING btree ("org_id","name_lower");