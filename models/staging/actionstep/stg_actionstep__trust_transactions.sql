-- Trust ledger rows from the report export (--trust-export), keyed by the export's header.
-- Exactly one of Receipt / Payment holds the amount (checked at extract); a payment is negative.
with source as (
    select * from {{ actionstep_current('trust_transactions') }}
),

typed as (
    select
        id as transaction_id,
        cast(coalesce(
            try_strptime(record ->> 'Date', '%m/%d/%Y'),
            try_strptime(record ->> 'Date', '%Y-%m-%d'),
            try_strptime(record ->> 'Date', '%d-%b-%Y')) as date) as transaction_date,
        {{ as_text('Matter Reference') }} as matter_reference,
        {{ as_text('Client') }} as client_name,
        {{ as_text('Type') }} as transaction_type,
        {{ as_text('Description') }} as description,
        {{ parse_number("record ->> 'Receipt'") }} as receipt,
        {{ parse_number("record ->> 'Payment'") }} as payment,
        coalesce({{ as_text('Currency') }}, '{{ var("actionstep_currency") }}') as currency
    from source
)

select
    *,
    coalesce(receipt, 0) - coalesce(payment, 0) as amount
from typed
