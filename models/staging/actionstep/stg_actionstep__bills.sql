-- Bills (invoices); a bill may cover several matters (links.action is an array).
with source as (
    select * from {{ actionstep_current('bills') }}
)

select
    cast(id as bigint) as bill_id,
    list_transform(cast(coalesce(record -> 'links' -> 'action', '[]') as varchar[]),
        lambda a: cast(a as bigint)) as action_ids,
    {{ as_text('status') }} as status,
    {{ as_text('ourReference') }} as reference,
    {{ as_text('currency') }} as currency,
    try_cast(record ->> 'invoiceDate' as date) as invoice_date,
    {{ as_number('totalInclusive') }} as total,
    {{ as_number('totalPaid') }} as paid,
    {{ as_number('totalDue') }} as due,
    ({{ as_text('status') }} = 'Deleted' or record ->> 'deletedTimestamp' is not null) as is_deleted
from source
