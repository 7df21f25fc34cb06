CREATE TABLE "organisations" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text,
	"plan_includes_integrations" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "xero_connections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" text NOT NULL,
	"auth_type" text NOT NULL,
	"status" text NOT NULL,
	"xero_tenant_id" text,
	"xero_tenant_name" text,
	"xero_connection_id" text,
	"auth_event_id" text,
	"access_token_enc" text,
	"refresh_token_enc" text,
	"token_expires_at" timestamp with time zone,
	"scopes" text,
	"last_error" text,
	"connected_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "org_mappings" (
	"org_id" text NOT NULL,
	"kind" text NOT NULL,
	"platform_code" text NOT NULL,
	"xero_code" text NOT NULL,
	CONSTRAINT "org_mappings_org_id_kind_platform_code_pk" PRIMARY KEY("org_id","kind","platform_code")
);
--> statement-breakpoint
CREATE TABLE "org_settings" (
	"org_id" text PRIMARY KEY NOT NULL,
	"client_id" text,
	"client_secret_enc" text,
	"default_tax_type" text,
	"auto_sync_invoices" boolean,
	"default_revenue_account_code" text,
	"invoice_status" text,
	"amount_type" text,
	"currency_code" text,
	"email_invoices" boolean,
	"email_whitelist_regex" text,
	"bank_account_code" text,
	"deferred_revenue_account_code" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contacts" (
	"org_id" text NOT NULL,
	"id" text NOT NULL,
	"name" text NOT NULL,
	"first_name" text,
	"last_name" text,
	"email" text,
	"phone" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contacts_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "invoice_lines" (
	"org_id" text NOT NULL,
	"invoice_id" text NOT NULL,
	"line_no" integer NOT NULL,
	"service_code" text,
	"description" text NOT NULL,
	"quantity" numeric(18, 4) NOT NULL,
	"unit_amount" numeric(18, 4) NOT NULL,
	"tax_code" text,
	"service_period_start" date,
	"service_period_end" date,
	CONSTRAINT "invoice_lines_org_id_invoice_id_line_no_pk" PRIMARY KEY("org_id","invoice_id","line_no")
);
--> statement-breakpoint
CREATE TABLE "invoices" (
	"org_id" text NOT NULL,
	"id" text NOT NULL,
	"contact_id" text NOT NULL,
	"number" text NOT NULL,
	"reference" text,
	"date" date NOT NULL,
	"due_date" date NOT NULL,
	"currency_code" text,
	"total" numeric(18, 2),
	"amount_paid" numeric(18, 2) DEFAULT '0' NOT NULL,
	"amount_due" numeric(18, 2),
	"xero_status" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invoices_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "payments" (
	"org_id" text NOT NULL,
	"id" text NOT NULL,
	"invoice_id" text NOT NULL,
	"amount" numeric(18, 2) NOT NULL,
	"date" date NOT NULL,
	"reference" text,
	"source" text NOT NULL,
	"xero_payment_id" text,
	"reversed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payments_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "expense_lines" (
	"org_id" text NOT NULL,
	"expense_id" text NOT NULL,
	"line_no" integer NOT NULL,
	"service_code" text,
	"description" text NOT NULL,
	"quantity" numeric(18, 4) NOT NULL,
	"unit_amount" numeric(18, 4) NOT NULL,
	"tax_code" text,
	CONSTRAINT "expense_lines_org_id_expense_id_line_no_pk" PRIMARY KEY("org_id","expense_id","line_no")
);
--> statement-breakpoint
CREATE TABLE "expenses" (
	"org_id" text NOT NULL,
	"id" text NOT NULL,
	"supplier_name" text NOT NULL,
	"supplier_email" text,
	"reference" text,
	"date" date NOT NULL,
	"due_date" date,
	"currency_code" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "expenses_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "sync_state" (
	"org_id" text NOT NULL,
	"record_type" text NOT NULL,
	"record_id" text NOT NULL,
	"state" text NOT NULL,
	"xero_id" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"last_error_hint" text,
	"version" integer DEFAULT 1 NOT NULL,
	"pushed_version" integer,
	"content_hash" text NOT NULL,
	"pushed_hash" text,
	"last_attempt_at" timestamp with time zone,
	"synced_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sync_state_org_id_record_type_record_id_pk" PRIMARY KEY("org_id","record_type","record_id")
);
--> statement-breakpoint
CREATE TABLE "sync_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"org_id" text NOT NULL,
	"record_type" text,
	"record_id" text,
	"action" text NOT NULL,
	"outcome" text NOT NULL,
	"message" text,
	"xero_message" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"org_id" text,
	"resource_id" text NOT NULL,
	"event_category" text NOT NULL,
	"event_type" text NOT NULL,
	"event_date_utc" timestamp with time zone NOT NULL,
	"resource_url" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"signalled_at" timestamp with time zone,
	"processed_at" timestamp with time zone,
	"raw" jsonb
);
--> statement-breakpoint
CREATE TABLE "outbound_events" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"org_id" text NOT NULL,
	"type" text NOT NULL,
	"record_key" text NOT NULL,
	"payload" jsonb NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outbound_events_id_unique" UNIQUE("id")
);
--> statement-breakpoint
ALTER TABLE "xero_connections" ADD CONSTRAINT "xero_connections_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_mappings" ADD CONSTRAINT "org_mappings_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_settings" ADD CONSTRAINT "org_settings_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expenses" ADD CONSTRAINT "expenses_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_state" ADD CONSTRAINT "sync_state_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_log" ADD CONSTRAINT "sync_log_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbound_events" ADD CONSTRAINT "outbound_events_org_id_organisations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "xero_connections_org_uq" ON "xero_connections" USING btree ("org_id");--> statement-breakpoint
CREATE UNIQUE INDEX "xero_connections_live_tenant_uq" ON "xero_connections" USING btree ("xero_tenant_id") WHERE "xero_connections"."status" <> 'disconnected' and "xero_connections"."xero_tenant_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "payments_xero_payment_uq" ON "payments" USING btree ("org_id","xero_payment_id") WHERE "payments"."xero_payment_id" is not null;--> statement-breakpoint
CREATE INDEX "sync_state_work_idx" ON "sync_state" USING btree ("org_id","state","record_type","updated_at");--> statement-breakpoint
CREATE INDEX "sync_log_org_time_idx" ON "sync_log" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_events_dedupe_uq" ON "webhook_events" USING btree ("tenant_id","resource_id","event_category","event_type","event_date_utc");--> statement-breakpoint
CREATE INDEX "webhook_events_unsignalled_idx" ON "webhook_events" USING btree ("received_at") WHERE "webhook_events"."signalled_at" is null;--> statement-breakpoint
CREATE INDEX "webhook_events_org_unprocessed_idx" ON "webhook_events" USING btree ("org_id") WHERE "webhook_events"."processed_at" is null;--> statement-breakpoint
CREATE INDEX "outbound_events_due_idx" ON "outbound_events" USING btree ("next_attempt_at") WHERE "outbound_events"."delivered_at" is null;