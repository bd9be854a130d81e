ALTER TABLE "materials" ADD COLUMN "display_sha256" text;--> statement-breakpoint
ALTER TABLE "materials" ADD COLUMN "processing" text DEFAULT 'ready' NOT NULL;--> statement-breakpoint
ALTER TABLE "materials" ADD CONSTRAINT "materials_display_sha256_files_sha256_fk" FOREIGN KEY ("display_sha256") REFERENCES "public"."files"("sha256") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "materials_pending_idx" ON "materials" USING btree ("created_at") WHERE "materials"."processing" = 'pending';--> statement-breakpoint
-- Materials attached before this migration were re-encoded on attach: they show what they stored.
UPDATE "materials" SET "display_sha256" = "file_sha256" WHERE "display_sha256" IS NULL;
