-- Approved purchases only; declined and pending authorisations are not spend.
select
    transaction_id,
    customer_id,
    transaction_date,
    amount,
    merchant_category,
    channel
from {{ ref('brz_transactions') }}
where status = 'Approved'
  and amount > 0
