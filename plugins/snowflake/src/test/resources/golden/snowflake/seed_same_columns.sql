create table analytics_db.analytics.payments__sluice_tmp (id NUMBER(38, 0), name VARCHAR, amount NUMBER(38, 10), ordered_on DATE, paid BOOLEAN);

-- batched prepared statement, 2 row(s) bound:
insert into analytics_db.analytics.payments__sluice_tmp (id, name, amount, ordered_on, paid) values (?, ?, ?, ?, ?);

-- one transaction of 3 statement(s):
delete from analytics_db.analytics.payments;

insert into analytics_db.analytics.payments select * from analytics_db.analytics.payments__sluice_tmp;

drop table if exists analytics_db.analytics.payments__sluice_tmp;
