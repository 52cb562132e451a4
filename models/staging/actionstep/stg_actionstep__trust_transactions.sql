-- Trust ledger rows from the report export (--trust-export), keyed by the export's header.
-- Exactly one of Receipt / Payment holds the amount (checked at extract); a payment is negative.
with source as (
    select * from {{ actionstep_current('trust_transactions', '{"Client":"VARCHAR","Currency":"VARCHAR","Date":"VARCHAR","Description":"VARCHAR","Matter Reference":"VARCHAR","Payment":"VARCHAR","Receipt":"VARCHAR","Type":"VARCHAR"}') }}
),

typed as (
    select
        id as transaction_id,
        cast(coalesce(
            try_strptime(r['Date'], '%m/%d/%Y'),
            try_strptime(r['Date'], '%Y-%m-%d'),
            try_strptime(r['Date'], '%d-%b-%Y')
        ) as date) as transaction_date,
        nullif(trim(r['Matter Reference']), '') as matter_reference,
        nullif(trim(r['Client']), '') as client_name,
        nullif(trim(r['Type']), '') as transaction_type,
        nullif(trim(r['Description']), '') as description,
        {{ parse_number("r['Receipt']") }} as receipt,
        {{ parse_number("r['Payment']") }} as payment,
        coalesce(nullif(trim(r['Currency']), ''), '{{ var("actionstep_currency") }}') as currency
    from source
)

select
    *,
    coalesce(receipt, 0) - coalesce(payment, 0) as amount
from typed
