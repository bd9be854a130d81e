CREATE TABLE "ballot_voters" (
	"ballot_id" uuid NOT NULL,
	"expert_id" uuid NOT NULL,
	CONSTRAINT "ballot_voters_ballot_id_expert_id_pk" PRIMARY KEY("ballot_id","expert_id")
);
--> statement-breakpoint
CREATE TABLE "ballots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"meeting_id" uuid NOT NULL,
	"application_id" uuid NOT NULL,
	"state" text NOT NULL,
	"voters" integer NOT NULL,
	"recused_present" integer NOT NULL,
	"yes" integer DEFAULT 0 NOT NULL,
	"no" integer DEFAULT 0 NOT NULL,
	"abstain" integer DEFAULT 0 NOT NULL,
	"needed" integer,
	"passed" boolean,
	"opened_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	"signed_at" timestamp with time zone,
	"signed_by" uuid
);
--> statement-breakpoint
CREATE TABLE "committee_members" (
	"committee_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" text DEFAULT 'member' NOT NULL,
	"term_start" text NOT NULL,
	"term_end" text NOT NULL,
	CONSTRAINT "committee_members_committee_id_user_id_pk" PRIMARY KEY("committee_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "committees" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"round_year" integer NOT NULL,
	"series" text NOT NULL,
	"level" text NOT NULL,
	"name" text NOT NULL,
	"organised_by" text DEFAULT 'series' NOT NULL,
	"specialty" text DEFAULT '' NOT NULL,
	"inclusive" boolean DEFAULT true NOT NULL,
	"agency_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "defense_scores" (
	"meeting_id" uuid NOT NULL,
	"application_id" uuid NOT NULL,
	"expert_id" uuid NOT NULL,
	"scores" jsonb NOT NULL,
	"total" integer,
	"submitted_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "defense_scores_meeting_id_application_id_expert_id_pk" PRIMARY KEY("meeting_id","application_id","expert_id")
);
--> statement-breakpoint
CREATE TABLE "expert_draws" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"meeting_id" uuid NOT NULL,
	"seed" text NOT NULL,
	"size" integer NOT NULL,
	"required_disciplines" jsonb NOT NULL,
	"excluded_unit_ids" jsonb NOT NULL,
	"excluded_ids" jsonb NOT NULL,
	"pool_ids" jsonb NOT NULL,
	"drawn_ids" jsonb NOT NULL,
	"drawn_by" uuid,
	"drawn_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "experts" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"series" text NOT NULL,
	"disciplines" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"unit_id" uuid,
	"title" text DEFAULT '' NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "review_group_members" (
	"group_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	CONSTRAINT "review_group_members_group_id_user_id_pk" PRIMARY KEY("group_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "review_groups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"meeting_id" uuid NOT NULL,
	"name" text NOT NULL,
	"discipline" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "review_opinions" (
	"group_id" uuid NOT NULL,
	"application_id" uuid NOT NULL,
	"recommendation" text NOT NULL,
	"opinion" text NOT NULL,
	"written_by" uuid NOT NULL,
	"written_at" timestamp with time zone NOT NULL,
	CONSTRAINT "review_opinions_group_id_application_id_pk" PRIMARY KEY("group_id","application_id")
);
--> statement-breakpoint
ALTER TABLE "meeting_applications" ADD COLUMN "slot_start" text;--> statement-breakpoint
ALTER TABLE "meeting_applications" ADD COLUMN "attendance" text DEFAULT 'pending' NOT NULL;--> statement-breakpoint
ALTER TABLE "meeting_applications" ADD COLUMN "checked_in_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "meeting_members" ADD COLUMN "present" boolean;--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "committee_id" uuid;--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "state" text DEFAULT 'scheduled' NOT NULL;--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "quorum_inclusive" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "members_at_roll_call" integer;--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "present_at_roll_call" integer;--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "roll_call_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "slots" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "requirements" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "requirements_published_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "minutes_sha256" text;--> statement-breakpoint
ALTER TABLE "ballot_voters" ADD CONSTRAINT "ballot_voters_ballot_id_ballots_id_fk" FOREIGN KEY ("ballot_id") REFERENCES "public"."ballots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballot_voters" ADD CONSTRAINT "ballot_voters_expert_id_users_id_fk" FOREIGN KEY ("expert_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballots" ADD CONSTRAINT "ballots_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballots" ADD CONSTRAINT "ballots_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballots" ADD CONSTRAINT "ballots_signed_by_users_id_fk" FOREIGN KEY ("signed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_members" ADD CONSTRAINT "committee_members_committee_id_committees_id_fk" FOREIGN KEY ("committee_id") REFERENCES "public"."committees"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committee_members" ADD CONSTRAINT "committee_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "committees" ADD CONSTRAINT "committees_agency_id_organisations_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "defense_scores" ADD CONSTRAINT "defense_scores_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "defense_scores" ADD CONSTRAINT "defense_scores_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "defense_scores" ADD CONSTRAINT "defense_scores_expert_id_users_id_fk" FOREIGN KEY ("expert_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expert_draws" ADD CONSTRAINT "expert_draws_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expert_draws" ADD CONSTRAINT "expert_draws_drawn_by_users_id_fk" FOREIGN KEY ("drawn_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experts" ADD CONSTRAINT "experts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experts" ADD CONSTRAINT "experts_unit_id_organisations_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_group_members" ADD CONSTRAINT "review_group_members_group_id_review_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."review_groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_group_members" ADD CONSTRAINT "review_group_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_groups" ADD CONSTRAINT "review_groups_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_opinions" ADD CONSTRAINT "review_opinions_group_id_review_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."review_groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_opinions" ADD CONSTRAINT "review_opinions_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_opinions" ADD CONSTRAINT "review_opinions_written_by_users_id_fk" FOREIGN KEY ("written_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ballots_once" ON "ballots" USING btree ("meeting_id","application_id");--> statement-breakpoint
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_committee_id_committees_id_fk" FOREIGN KEY ("committee_id") REFERENCES "public"."committees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_minutes_sha256_files_sha256_fk" FOREIGN KEY ("minutes_sha256") REFERENCES "public"."files"("sha256") ON DELETE no action ON UPDATE no action;