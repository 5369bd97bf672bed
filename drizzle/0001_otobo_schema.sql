CREATE TABLE "customer_company" (
	"customer_id" varchar(150) PRIMARY KEY NOT NULL,
	"name" varchar(191) NOT NULL,
	"street" varchar(200),
	"zip" varchar(200),
	"city" varchar(200),
	"country" varchar(200),
	"url" varchar(200),
	"comments" varchar(250),
	"valid_id" smallint NOT NULL,
	"create_time" timestamp(0) NOT NULL,
	"create_by" integer NOT NULL,
	"change_time" timestamp(0) NOT NULL,
	"change_by" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customer_preferences" (
	"user_id" varchar(191) NOT NULL,
	"preferences_key" varchar(150) NOT NULL,
	"preferences_value" varchar(250)
);
--> statement-breakpoint
CREATE TABLE "customer_user" (
	"id" serial PRIMARY KEY NOT NULL,
	"login" varchar(191) NOT NULL,
	"email" varchar(150) NOT NULL,
	"customer_id" varchar(150) NOT NULL,
	"pw" varchar(128),
	"title" varchar(50),
	"first_name" varchar(100) NOT NULL,
	"last_name" varchar(100) NOT NULL,
	"phone" varchar(150),
	"fax" varchar(150),
	"mobile" varchar(150),
	"street" varchar(150),
	"zip" varchar(200),
	"city" varchar(200),
	"country" varchar(200),
	"comments" varchar(250),
	"valid_id" smallint NOT NULL,
	"create_time" timestamp(0) NOT NULL,
	"create_by" integer NOT NULL,
	"change_time" timestamp(0) NOT NULL,
	"change_by" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customer_user_customer" (
	"user_id" varchar(191) NOT NULL,
	"customer_id" varchar(150) NOT NULL,
	"create_time" timestamp(0) NOT NULL,
	"create_by" integer NOT NULL,
	"change_time" timestamp(0) NOT NULL,
	"change_by" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "gql_api_token" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" varchar(100) NOT NULL,
	"role" varchar(20) NOT NULL,
	"token_sha256" varchar(64) NOT NULL,
	"agent_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "gql_audit_log" (
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
CREATE TABLE "group_customer" (
	"customer_id" varchar(150) NOT NULL,
	"group_id" integer NOT NULL,
	"permission_key" varchar(20) NOT NULL,
	"permission_value" smallint NOT NULL,
	"permission_context" varchar(100) NOT NULL,
	"create_time" timestamp(0) NOT NULL,
	"create_by" integer NOT NULL,
	"change_time" timestamp(0) NOT NULL,
	"change_by" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "group_customer_user" (
	"user_id" varchar(191) NOT NULL,
	"group_id" integer NOT NULL,
	"permission_key" varchar(20) NOT NULL,
	"permission_value" smallint NOT NULL,
	"create_time" timestamp(0) NOT NULL,
	"create_by" integer NOT NULL,
	"change_time" timestamp(0) NOT NULL,
	"change_by" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "groups_table" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" varchar(191) NOT NULL,
	"comments" varchar(250),
	"valid_id" smallint NOT NULL,
	"create_time" timestamp(0) NOT NULL,
	"create_by" integer NOT NULL,
	"change_time" timestamp(0) NOT NULL,
	"change_by" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "service" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" varchar(191) NOT NULL,
	"valid_id" smallint NOT NULL,
	"comments" varchar(250),
	"create_time" timestamp(0) NOT NULL,
	"create_by" integer NOT NULL,
	"change_time" timestamp(0) NOT NULL,
	"change_by" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "service_customer_user" (
	"customer_user_login" varchar(191) NOT NULL,
	"service_id" integer NOT NULL,
	"create_time" timestamp(0) NOT NULL,
	"create_by" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" serial PRIMARY KEY NOT NULL,
	"login" varchar(191) NOT NULL,
	"pw" varchar(128) NOT NULL,
	"title" varchar(50),
	"first_name" varchar(100) NOT NULL,
	"last_name" varchar(100) NOT NULL,
	"valid_id" smallint NOT NULL,
	"create_time" timestamp(0) NOT NULL,
	"create_by" integer NOT NULL,
	"change_time" timestamp(0) NOT NULL,
	"change_by" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "valid" (
	"id" smallint PRIMARY KEY NOT NULL,
	"name" varchar(191) NOT NULL,
	"create_time" timestamp(0) NOT NULL,
	"create_by" integer NOT NULL,
	"change_time" timestamp(0) NOT NULL,
	"change_by" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "customer_user" ADD CONSTRAINT "customer_user_valid_id_valid_id_fk" FOREIGN KEY ("valid_id") REFERENCES "public"."valid"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_customer" ADD CONSTRAINT "group_customer_group_id_groups_table_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups_table"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_customer_user" ADD CONSTRAINT "group_customer_user_group_id_groups_table_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups_table"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "groups_table" ADD CONSTRAINT "groups_table_valid_id_valid_id_fk" FOREIGN KEY ("valid_id") REFERENCES "public"."valid"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service" ADD CONSTRAINT "service_valid_id_valid_id_fk" FOREIGN KEY ("valid_id") REFERENCES "public"."valid"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_customer_user" ADD CONSTRAINT "service_customer_user_service_id_service_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."service"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_valid_id_valid_id_fk" FOREIGN KEY ("valid_id") REFERENCES "public"."valid"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "customer_company_name" ON "customer_company" USING btree ("name");--> statement-breakpoint
CREATE UNIQUE INDEX "customer_company_customer_id_ci" ON "customer_company" USING btree (lower("customer_id") COLLATE "C");--> statement-breakpoint
CREATE UNIQUE INDEX "customer_company_name_ci" ON "customer_company" USING btree (lower("name") COLLATE "C");--> statement-breakpoint
CREATE INDEX "customer_company_customer_id_trgm" ON "customer_company" USING gin ("customer_id" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "customer_company_name_trgm" ON "customer_company" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "customer_preferences_user_id" ON "customer_preferences" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "customer_preferences_user_id_ci" ON "customer_preferences" USING btree (lower("user_id") COLLATE "C");--> statement-breakpoint
CREATE UNIQUE INDEX "customer_user_login" ON "customer_user" USING btree ("login");--> statement-breakpoint
CREATE UNIQUE INDEX "customer_user_login_ci" ON "customer_user" USING btree (lower("login") COLLATE "C");--> statement-breakpoint
CREATE INDEX "customer_user_email_ci" ON "customer_user" USING btree (lower("email") COLLATE "C");--> statement-breakpoint
CREATE INDEX "customer_user_customer_id_ci" ON "customer_user" USING btree (lower("customer_id") COLLATE "C");--> statement-breakpoint
CREATE INDEX "customer_user_login_trgm" ON "customer_user" USING gin ("login" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "customer_user_email_trgm" ON "customer_user" USING gin ("email" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "customer_user_first_name_trgm" ON "customer_user" USING gin ("first_name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "customer_user_last_name_trgm" ON "customer_user" USING gin ("last_name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "customer_user_customer_id_trgm" ON "customer_user" USING gin ("customer_id" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "customer_user_customer_user_id" ON "customer_user_customer" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "customer_user_customer_customer_id" ON "customer_user_customer" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "customer_user_customer_user_id_ci" ON "customer_user_customer" USING btree (lower("user_id") COLLATE "C");--> statement-breakpoint
CREATE INDEX "customer_user_customer_customer_id_ci" ON "customer_user_customer" USING btree (lower("customer_id") COLLATE "C");--> statement-breakpoint
CREATE UNIQUE INDEX "gql_api_token_name" ON "gql_api_token" USING btree ("name");--> statement-breakpoint
CREATE UNIQUE INDEX "gql_api_token_sha256" ON "gql_api_token" USING btree ("token_sha256");--> statement-breakpoint
CREATE INDEX "gql_audit_log_entity" ON "gql_audit_log" USING btree ("entity_type",lower("entity_key") COLLATE "C","id");--> statement-breakpoint
CREATE INDEX "group_customer_customer_id" ON "group_customer" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "group_customer_group_id" ON "group_customer" USING btree ("group_id");--> statement-breakpoint
CREATE INDEX "group_customer_customer_id_ci" ON "group_customer" USING btree (lower("customer_id") COLLATE "C");--> statement-breakpoint
CREATE INDEX "group_customer_user_user_id" ON "group_customer_user" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "group_customer_user_group_id" ON "group_customer_user" USING btree ("group_id");--> statement-breakpoint
CREATE INDEX "group_customer_user_user_id_ci" ON "group_customer_user" USING btree (lower("user_id") COLLATE "C");--> statement-breakpoint
CREATE UNIQUE INDEX "groups_name" ON "groups_table" USING btree ("name");--> statement-breakpoint
CREATE UNIQUE INDEX "service_name" ON "service" USING btree ("name");--> statement-breakpoint
CREATE INDEX "service_customer_user_customer_user_login" ON "service_customer_user" USING btree (substr("customer_user_login", 1, 10));--> statement-breakpoint
CREATE INDEX "service_customer_user_service_id" ON "service_customer_user" USING btree ("service_id");--> statement-breakpoint
CREATE INDEX "service_customer_user_customer_user_login_ci" ON "service_customer_user" USING btree (lower("customer_user_login") COLLATE "C");--> statement-breakpoint
CREATE UNIQUE INDEX "users_login" ON "users" USING btree ("login");--> statement-breakpoint
CREATE UNIQUE INDEX "valid_name" ON "valid" USING btree ("name");