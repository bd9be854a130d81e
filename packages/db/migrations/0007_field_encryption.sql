-- Decision 0016: these columns hold only ciphertexts. NOT VALID: rows written before are encrypted in place
-- by encryptFieldsAtRest (`npm run db:encrypt`, also run by the seed), which then validates the constraints.
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_contact_phone_sealed" CHECK ("complaints"."contact_phone" like 'v1:%') NOT VALID;--> statement-breakpoint
ALTER TABLE "employer_requests" ADD CONSTRAINT "employer_requests_contact_sealed" CHECK ("employer_requests"."contact" like 'v1:%') NOT VALID;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_phone_sealed" CHECK ("notifications"."phone" like 'v1:%') NOT VALID;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_id_number_sealed" CHECK ("users"."id_number" like 'v1:%') NOT VALID;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_phone_sealed" CHECK ("users"."phone" like 'v1:%') NOT VALID;