-- Our own tables leave OTOBO's schema. A database of an earlier version has them beside OTOBO's
-- tables: they move, with their rows, sequences and indexes. Over an existing OTOBO database the
-- first migrations are OTOBO's own tables (src/db/migrate.ts records them without running them),
-- so there is nothing to move and the tables are created here.
CREATE SCHEMA IF NOT EXISTS "customer_graphql";
--> statement-breakpoint
ALTER TABLE IF EXISTS "gql_api_token" SET SCHEMA "customer_graphql";
--> statement-breakpoint
ALTER TABLE IF EXISTS "gql_audit_log" SET SCHEMA "customer_graphql";
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "customer_graphql"."gql_api_token" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" varchar(100) NOT NULL,
	"role" varchar(20) NOT NULL,
	"token_sha256" varchar(64) NOT NULL,
	"agent_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "customer_graphql"."gql_audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"entity_type" varchar(40) NOT NULL,
	"entity_key" varchar(191) NOT NULL,
	"action" varchar(20) NOT NULL,
	"actor" varchar(150) NOT NULL,
	"agent_id" integer NOT NULL,
	"changes" jsonb NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "gql_api_token_name" ON "customer_graphql"."gql_api_token" USING btree ("name");
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "gql_api_token_sha256" ON "customer_graphql"."gql_api_token" USING btree ("token_sha256");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "gql_audit_log_entity" ON "customer_graphql"."gql_audit_log" USING btree ("entity_type",lower("entity_key") COLLATE "C","id");
