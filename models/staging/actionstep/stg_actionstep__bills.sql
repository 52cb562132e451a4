-- Bills (invoices); a bill may cover several matters (links.action is an array).
with source as (
    select * from {{ actionstep_current('bills', '{"currency":"VARCHAR","deletedTimestamp":"VARCHAR","invoiceDate":"VARCHAR","ourReference":"VARCHAR","status":"VARCHAR","totalDue":"VARCHAR","totalInclusive":"VARCHAR","totalPaid":"VARCHAR","links":{"action":["VARCHAR"]}}') }}
)

select
    cast(id as bigint) as bill_id,
    list_transform(
        coalesce(r['links']['action'], []),
        lambda a: cast(a as bigint)
    ) as action_ids,
    nullif(trim(r['status']), '') as status,
    nullif(trim(r['ourReference']), '') as reference,
    nullif(trim(r['currency']), '') as currency,
    try_cast(r['invoiceDate'] as date) as invoice_date,
    try_cast(r['totalInclusive'] as double) as total,
    try_cast(r['totalPaid'] as double) as paid,
    try_cast(r['totalDue'] as double) as due,
    (nullif(trim(r['status']), '') = 'Deleted' or r['deletedTimestamp'] is not null) as is_deleted
from source
