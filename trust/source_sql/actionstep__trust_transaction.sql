-- Trust ledger rows (report export): elements of the client partner's trust JSON, by id.
with rows as (
    select id, record from {raw:actionstep/trust_transactions}
    qualify row_number() over (partition by id order by _extracted_at desc, _run_id desc) = 1
)

select
    id as source_id,
    cast(null as varchar) as external_id,
    'trust transaction' as record_type,
    cast(null as varchar) as excluded_rule,
    id
from rows
