DROP INDEX "sync_state_claim_idx";--> statement-breakpoint
DROP INDEX "sync_state_xero_id_idx";--> statement-breakpoint
CREATE INDEX "sync_state_claim_idx" ON "sync_state" USING btree ("org_id","claim_id") WHERE "sync_state"."claim_id" is not null;--> statement-breakpoint
CREATE INDEX "sync_state_xero_id_idx" ON "sync_state" USING btree ("org_id","record_type","xero_id") WHERE "sync_state"."xero_id" is not null;