{{ config(alias='v2') }}
select distinct customer_id from {{ ref('orders') }}
