CREATE TABLE "credit_allocations" (
	"org_id" text NOT NULL,
	"id" text NOT NULL,
	"invoice_id" text NOT NULL,
	"amount" numeric(18, 2) NOT NULL,
	"date" date NOT NULL,
	"xero_allocation_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "credit_allocations_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "credit_note_lines" (
	"org_id" text NOT NULL,
	"credit_note_id" text NOT NULL,
	"line_no" integer NOT NULL,
	"service_code" text,
	"description" text NOT NULL,
	"quantity" numeric(18, 4) NOT NULL,
	"unit_amount" numeric(18, 4) NOT NULL,
	"tax_code" text,
	"service_period_start" date,
	"service_period_end" date,
	"tracking" jsonb,
	CONSTRAINT "credit_note_lines_org_id_credit_note_id_line_no_pk" PRIMARY KEY("org_id","credit_note_id","line_no")
);
--> statement-breakpoint
CREATE TABLE "credit_notes" (
	"org_id" text NOT NULL,
	"id" text NOT NULL,
	"contact_id" text NOT NULL,
	"number" text NOT NULL,
	"reference" text,
	"date" date NOT NULL,
	"currency_code" text,
	"branding_theme" text,
	"total" numeric(18, 2),
	"remaining_credit" numeric(18, 2),
	"xero_status" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "credit_notes_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "credit_refunds" (
	"org_id" text NOT NULL,
	"id" text NOT NULL,
	"amount" numeric(18, 2) NOT NULL,
	"date" date NOT NULL,
	"reference" text,
	"xero_payment_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "credit_refunds_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "xero_credit_uses" (
	"org_id" text NOT NULL,
	"xero_id" text NOT NULL,
	"credit_note_id" text NOT NULL,
	"kind" text NOT NULL,
	"xero_invoice_id" text,
	"amount" numeric(18, 2) NOT NULL,
	"date" date,
	"source" text NOT NULL,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "xero_credit_uses_org_id_xero_id_pk" PRIMARY KEY("org_id","xero_id")
);
--> statement-breakpoint
CREATE TABLE "xero_catalogues" (
	"org_id" text NOT NULL,
	"kind" text NOT NULL,
	"entries" jsonb NOT NULL,
	"fetched_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "xero_catalogues_org_id_kind_pk" PRIMARY KEY("org_id","kind")
);
--> statement-breakpoint
ALTER TABLE "org_settings" ADD COLUMN "branding_theme_id" text;--> statement-breakpoint
ALTER TABLE "org_settings" ADD COLUMN "online_invoice_links" boolean;--> statement-breakpoint
ALTER TABLE "invoice_lines" ADD COLUMN "discount_rate" numeric(9, 4);--> statement-breakpoint
ALTER TABLE "invoice_lines" ADD COLUMN "discount_amount" numeric(18, 2);--> statement-breakpoint
ALTER TABLE "invoice_lines" ADD COLUMN "tracking" jsonb;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "branding_theme" text;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "void_requested_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "online_invoice_url" text;--> statement-breakpoint
ALTER TABLE "credit_allocations" ADD CONSTRAINT "credit_allocations_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_notes" ADD CONSTRAINT "credit_notes_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credit_refunds" ADD CONSTRAINT "credit_refunds_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "xero_credit_uses" ADD CONSTRAINT "xero_credit_uses_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "xero_catalogues" ADD CONSTRAINT "xero_catalogues_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "credit_allocations_invoice_idx" ON "credit_allocations" USING btree ("org_id","invoice_id");--> statement-breakpoint
CREATE INDEX "credit_notes_number_idx" ON "credit_notes" USING btree ("org_id","number");