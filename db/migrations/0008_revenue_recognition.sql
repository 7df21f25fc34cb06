CREATE TABLE "deferred_revenue_lines" (
	"org_id" text NOT NULL,
	"invoice_id" text NOT NULL,
	"line_no" integer NOT NULL,
	"deferred_account_code" text NOT NULL,
	"revenue_account_code" text NOT NULL,
	"service_start" date NOT NULL,
	"service_end" date NOT NULL,
	"line_amount" numeric(18, 2) NOT NULL,
	"tax_amount" numeric(18, 2) NOT NULL,
	"line_amount_types" text NOT NULL,
	"currency_code" text NOT NULL,
	"currency_rate" numeric NOT NULL,
	"net_amount" numeric(18, 2) NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "deferred_revenue_lines_org_id_invoice_id_line_no_pk" PRIMARY KEY("org_id","invoice_id","line_no")
);
--> statement-breakpoint
CREATE TABLE "revenue_journal_lines" (
	"org_id" text NOT NULL,
	"period" text NOT NULL,
	"invoice_id" text NOT NULL,
	"line_no" integer NOT NULL,
	"deferred_account_code" text NOT NULL,
	"revenue_account_code" text NOT NULL,
	"amount" numeric(18, 2) NOT NULL,
	CONSTRAINT "revenue_journal_lines_pk" PRIMARY KEY("org_id","period","invoice_id","line_no","deferred_account_code","revenue_account_code")
);
--> statement-breakpoint
CREATE TABLE "revenue_journals" (
	"org_id" text NOT NULL,
	"period" text NOT NULL,
	"narration" text NOT NULL,
	"journal_date" date NOT NULL,
	"state" text NOT NULL,
	"xero_journal_id" text,
	"total" numeric(18, 2) NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"adopted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"posted_at" timestamp with time zone,
	CONSTRAINT "revenue_journals_org_id_period_pk" PRIMARY KEY("org_id","period")
);
--> statement-breakpoint
CREATE TABLE "xero_organisation_profiles" (
	"org_id" text PRIMARY KEY NOT NULL,
	"xero_timezone" text,
	"time_zone" text NOT NULL,
	"base_currency" text,
	"read_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "deferred_revenue_lines" ADD CONSTRAINT "deferred_revenue_lines_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revenue_journals" ADD CONSTRAINT "revenue_journals_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "xero_organisation_profiles" ADD CONSTRAINT "xero_organisation_profiles_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "revenue_journal_lines_line_idx" ON "revenue_journal_lines" USING btree ("org_id","invoice_id","line_no");