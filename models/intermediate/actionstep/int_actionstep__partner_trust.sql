-- Per client partner: the trust balance per currency (JSON object) and every trust transaction
-- (JSON array in date order: matter reference, amount, currency, date, type, description).
with resolved as (
    select * from {{ ref('int_actionstep__trust') }}
    where review_reason is null
),

balances as (
    select
        partner_xmlid,
        currency,
        round(sum(amount), 2) as balance
    from resolved
    group by partner_xmlid, currency
),

balance_json as (
    select
        partner_xmlid,
        cast(to_json(map(list(currency order by currency), list(balance order by currency))) as varchar)
            as trust_balance
    from balances
    group by partner_xmlid
),

transactions_json as (
    select
        partner_xmlid,
        {{ json_array_agg([
            ('id', 'transaction_id'), ('matter_reference', 'matter_reference'), ('date', 'transaction_date'),
            ('type', 'transaction_type'), ('amount', 'amount'), ('currency', 'currency'),
            ('description', 'description')
        ], 'transaction_date, transaction_id') }} as trust_transactions,
        count(*) as transaction_count
    from resolved
    group by partner_xmlid
)

select
    transactions_json.partner_xmlid,
    balance_json.trust_balance,
    transactions_json.trust_transactions,
    transactions_json.transaction_count
from transactions_json
inner join balance_json
    on transactions_json.partner_xmlid = balance_json.partner_xmlid
