CREATE TABLE "correction_notices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"seq" smallint NOT NULL,
	"reviewer_id" uuid NOT NULL,
	"items" jsonb NOT NULL,
	"deadline" text NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	"resubmitted_at" timestamp with time zone,
	"introduced_material_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"judgement" text,
	CONSTRAINT "correction_notices_app_seq" UNIQUE("application_id","seq")
);
--> statement-breakpoint
CREATE TABLE "district_forwards" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"district_org_id" uuid NOT NULL,
	"forwarded_by" uuid NOT NULL,
	"forwarded_at" timestamp with time zone NOT NULL,
	"application_ids" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "district_reviews" (
	"application_id" uuid PRIMARY KEY NOT NULL,
	"district_org_id" uuid NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"on_site_check" jsonb,
	"committee_date" text,
	"decision" text,
	"reason" text,
	"decided_by" uuid,
	"forward_id" uuid
);
--> statement-breakpoint
CREATE TABLE "payment_callbacks" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"order_no" text,
	"provider_trade_no" text,
	"outcome" text NOT NULL,
	"body_sha256" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payment_orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"application_id" uuid NOT NULL,
	"order_no" text NOT NULL,
	"amount_fen" integer NOT NULL,
	"due_date" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"provider_trade_no" text,
	"paid_at" timestamp with time zone,
	"receipt_sha256" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "correction_deadline" text;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "reviewer_id" uuid;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "application_id" uuid;--> statement-breakpoint
ALTER TABLE "correction_notices" ADD CONSTRAINT "correction_notices_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "district_forwards" ADD CONSTRAINT "district_forwards_district_org_id_organisations_id_fk" FOREIGN KEY ("district_org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "district_reviews" ADD CONSTRAINT "district_reviews_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "district_reviews" ADD CONSTRAINT "district_reviews_district_org_id_organisations_id_fk" FOREIGN KEY ("district_org_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_orders" ADD CONSTRAINT "payment_orders_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "payment_callbacks_order_idx" ON "payment_callbacks" USING btree ("order_no");--> statement-breakpoint
CREATE UNIQUE INDEX "payment_orders_order_no_key" ON "payment_orders" USING btree ("order_no");--> statement-breakpoint
CREATE UNIQUE INDEX "payment_orders_trade_no_key" ON "payment_orders" USING btree ("provider_trade_no");--> statement-breakpoint
CREATE UNIQUE INDEX "payment_orders_one_open" ON "payment_orders" USING btree ("application_id") WHERE status <> 'lapsed';