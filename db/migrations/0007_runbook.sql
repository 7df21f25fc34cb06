CREATE TABLE "xero_contact_limits" (
	"org_id" text PRIMARY KEY NOT NULL,
	"xero_message" text NOT NULL,
	"reached_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retry_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "xero_currencies" (
	"org_id" text PRIMARY KEY NOT NULL,
	"base_currency" text,
	"currencies" text[] NOT NULL,
	"read_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "xero_contact_limits" ADD CONSTRAINT "xero_contact_limits_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "xero_currencies" ADD CONSTRAINT "xero_currencies_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sync_log_org_id_idx" ON "sync_log" USING btree ("org_id","id");--> statement-breakpoint
CREATE INDEX "sync_log_org_record_idx" ON "sync_log" USING btree ("org_id","record_id","id");