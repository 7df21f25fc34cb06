CREATE TABLE "resync_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" text NOT NULL,
	"record_types" text[] NOT NULL,
	"since" timestamp with time zone,
	"total" integer NOT NULL,
	"requested_by" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "resync_runs" ADD CONSTRAINT "resync_runs_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "resync_runs_org_started_idx" ON "resync_runs" USING btree ("org_id","started_at");