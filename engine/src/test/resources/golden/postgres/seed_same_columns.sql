create table "warehouse"."analytics"."payments__sluice_tmp" ("id" bigint, "name" text, "amount" numeric, "ordered_on" date, "paid" boolean);

-- batched prepared statement, 2 row(s) bound:
insert into "warehouse"."analytics"."payments__sluice_tmp" ("id", "name", "amount", "ordered_on", "paid") values (?, ?, ?, ?, ?);

alter table "warehouse"."analytics"."payments__sluice_tmp" alter column "id" type integer;

-- one transaction of 3 statement(s):
delete from "warehouse"."analytics"."payments";

insert into "warehouse"."analytics"."payments" select * from "warehouse"."analytics"."payments__sluice_tmp";

drop table if exists "warehouse"."analytics"."payments__sluice_tmp" cascade;
