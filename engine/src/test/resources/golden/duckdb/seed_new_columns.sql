create table "analytics"."payments__sluice_tmp" ("id" bigint, "name" varchar, "amount" decimal(38, 10), "ordered_on" date, "paid" boolean);

-- batched prepared statement, 2 row(s) bound:
insert into "analytics"."payments__sluice_tmp" ("id", "name", "amount", "ordered_on", "paid") values (?, ?, ?, ?, ?);

alter table "analytics"."payments__sluice_tmp" alter column "id" type integer;

-- one transaction of 3 statement(s):
alter table "analytics"."payments" rename to "payments__sluice_backup";

alter table "analytics"."payments__sluice_tmp" rename to "payments";

drop table if exists "analytics"."payments__sluice_backup";
