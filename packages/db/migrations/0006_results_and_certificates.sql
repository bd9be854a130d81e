CREATE TABLE "certificate_issuances" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"batch_id" uuid NOT NULL,
	"state" text NOT NULL,
	"total" integer NOT NULL,
	"issued" integer DEFAULT 0 NOT NULL,
	"error" text,
	"started_by" uuid NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "certificate_serials" (
	"year" integer PRIMARY KEY NOT NULL,
	"last_serial" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "certificates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"application_id" uuid NOT NULL,
	"entry_id" uuid NOT NULL,
	"holder_id" uuid NOT NULL,
	"token_sha256" text NOT NULL,
	"data" jsonb NOT NULL,
	"signature" text NOT NULL,
	"key_id" text NOT NULL,
	"credential" jsonb NOT NULL,
	"status_index" integer NOT NULL,
	"pdf_sha256" text NOT NULL,
	"issue_date" text NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"issuance_id" uuid,
	"revoked_at" timestamp with time zone,
	"revoked_reason" text,
	"revoked_by" uuid
);
--> statement-breakpoint
CREATE TABLE "complaint_attachments" (
	"complaint_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"file_sha256" text NOT NULL,
	"original_name" text DEFAULT '' NOT NULL,
	CONSTRAINT "complaint_attachments_complaint_id_position_pk" PRIMARY KEY("complaint_id","position")
);
--> statement-breakpoint
CREATE TABLE "complaints" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"reference" text NOT NULL,
	"kind" text NOT NULL,
	"batch_id" uuid NOT NULL,
	"entry_id" uuid NOT NULL,
	"application_id" uuid NOT NULL,
	"complainant_name" text NOT NULL,
	"contact_phone" text NOT NULL,
	"contact_phone_hash" text NOT NULL,
	"filed_by" uuid,
	"facts" text NOT NULL,
	"state" text DEFAULT 'open' NOT NULL,
	"outcome_reason" text,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"filed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "result_batches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"round_year" integer NOT NULL,
	"publisher" text NOT NULL,
	"agency_id" uuid,
	"level_group" text NOT NULL,
	"number" integer NOT NULL,
	"title" text NOT NULL,
	"state" text DEFAULT 'draft' NOT NULL,
	"publicity_start" text,
	"publicity_end" text,
	"working_days" integer,
	"published_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"list_sha256" text,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "result_batches_number_key" UNIQUE NULLS NOT DISTINCT("round_year","publisher","agency_id","number")
);
--> statement-breakpoint
CREATE TABLE "result_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"batch_id" uuid NOT NULL,
	"application_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"result" text NOT NULL,
	"listed" boolean NOT NULL,
	"name" text NOT NULL,
	"unit_name" text NOT NULL,
	"series" text NOT NULL,
	"level" text NOT NULL,
	"specialty" text DEFAULT '' NOT NULL,
	"qualification" text NOT NULL,
	"committee_name" text NOT NULL,
	"meeting_id" uuid,
	"approved_on" text NOT NULL,
	"outcome" text DEFAULT 'pending' NOT NULL,
	"finalised_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "signing_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"public_key_multibase" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "certificate_issuances" ADD CONSTRAINT "certificate_issuances_batch_id_result_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."result_batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificate_issuances" ADD CONSTRAINT "certificate_issuances_started_by_users_id_fk" FOREIGN KEY ("started_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_entry_id_result_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."result_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_holder_id_users_id_fk" FOREIGN KEY ("holder_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_key_id_signing_keys_id_fk" FOREIGN KEY ("key_id") REFERENCES "public"."signing_keys"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_pdf_sha256_files_sha256_fk" FOREIGN KEY ("pdf_sha256") REFERENCES "public"."files"("sha256") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_issuance_id_certificate_issuances_id_fk" FOREIGN KEY ("issuance_id") REFERENCES "public"."certificate_issuances"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "certificates" ADD CONSTRAINT "certificates_revoked_by_users_id_fk" FOREIGN KEY ("revoked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaint_attachments" ADD CONSTRAINT "complaint_attachments_complaint_id_complaints_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaint_attachments" ADD CONSTRAINT "complaint_attachments_file_sha256_files_sha256_fk" FOREIGN KEY ("file_sha256") REFERENCES "public"."files"("sha256") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_batch_id_result_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."result_batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_entry_id_result_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."result_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_filed_by_users_id_fk" FOREIGN KEY ("filed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaints" ADD CONSTRAINT "complaints_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "result_batches" ADD CONSTRAINT "result_batches_agency_id_organisations_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "result_batches" ADD CONSTRAINT "result_batches_list_sha256_files_sha256_fk" FOREIGN KEY ("list_sha256") REFERENCES "public"."files"("sha256") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "result_batches" ADD CONSTRAINT "result_batches_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "result_entries" ADD CONSTRAINT "result_entries_batch_id_result_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."result_batches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "result_entries" ADD CONSTRAINT "result_entries_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "result_entries" ADD CONSTRAINT "result_entries_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "certificate_issuances_batch_idx" ON "certificate_issuances" USING btree ("batch_id","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "certificates_number_key" ON "certificates" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX "certificates_application_key" ON "certificates" USING btree ("application_id");--> statement-breakpoint
CREATE UNIQUE INDEX "certificates_status_index_key" ON "certificates" USING btree ("status_index");--> statement-breakpoint
CREATE INDEX "certificates_holder_idx" ON "certificates" USING btree ("holder_id");--> statement-breakpoint
CREATE UNIQUE INDEX "complaints_reference_key" ON "complaints" USING btree ("reference");--> statement-breakpoint
CREATE INDEX "complaints_batch_idx" ON "complaints" USING btree ("batch_id","state");--> statement-breakpoint
CREATE INDEX "complaints_entry_idx" ON "complaints" USING btree ("entry_id","state");--> statement-breakpoint
CREATE INDEX "result_batches_state_idx" ON "result_batches" USING btree ("state","publicity_end");--> statement-breakpoint
CREATE UNIQUE INDEX "result_entries_batch_app_key" ON "result_entries" USING btree ("batch_id","application_id");--> statement-breakpoint
CREATE INDEX "result_entries_batch_idx" ON "result_entries" USING btree ("batch_id","listed","position");--> statement-breakpoint
CREATE INDEX "result_entries_app_idx" ON "result_entries" USING btree ("application_id");