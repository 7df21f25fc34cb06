ALTER TABLE "sync_state" ADD COLUMN "claim_id" text;--> statement-breakpoint
ALTER TABLE "sync_state" ADD COLUMN "claimed_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "sync_state_claim_idx" ON "sync_state" USING btree ("org_id","claim_id");