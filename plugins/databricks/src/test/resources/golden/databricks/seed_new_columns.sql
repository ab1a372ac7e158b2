create table `main`.`analytics`.`payments__sluice_tmp` (`id` bigint, `name` string, `amount` decimal(38, 10), `ordered_on` date, `paid` boolean) using delta;

insert into `main`.`analytics`.`payments__sluice_tmp` (`id`, `name`, `amount`, `ordered_on`, `paid`) values
(1, 'O\'Brien', cast(12.50 as decimal(38, 10)), date '2024-01-05', true),
(2, 'back\\slash', null, date '2024-02-29', false);

-- one transaction of 2 statement(s):
create or replace table `main`.`analytics`.`payments` using delta as select * from `main`.`analytics`.`payments__sluice_tmp`;

drop table if exists `main`.`analytics`.`payments__sluice_tmp`;
