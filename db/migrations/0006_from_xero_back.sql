CREATE TABLE "xero_contact_views" (
	"org_id" text NOT NULL,
	"contact_id" text NOT NULL,
	"xero_contact_id" text NOT NULL,
	"name" text,
	"email" text,
	"archived" boolean DEFAULT false NOT NULL,
	"xero_updated_at" timestamp with time zone,
	"differences" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"changed_at" timestamp with time zone,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "xero_contact_views_org_id_contact_id_pk" PRIMARY KEY("org_id","contact_id")
);
--> statement-breakpoint
CREATE TABLE "reconciliation_runs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"trigger" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone DEFAULT now() NOT NULL,
	"xero_calls" integer NOT NULL,
	"payments_seen" integer NOT NULL,
	"invoices_seen" integer NOT NULL,
	"drift" jsonb NOT NULL,
	"note" text
);
--> statement-breakpoint
ALTER TABLE "xero_contact_views" ADD CONSTRAINT "xero_contact_views_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reconciliation_runs" ADD CONSTRAINT "reconciliation_runs_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "reconciliation_runs_org_finished_idx" ON "reconciliation_runs" USING btree ("org_id","finished_at");--> statement-breakpoint
CREATE INDEX "invoices_number_idx" ON "invoices" USING btree ("org_id","number");--> statement-breakpoint
CREATE INDEX "sync_state_xero_id_idx" ON "sync_state" USING btree ("org_id","record_type","xero_id");