-- Disbursements (costs paid on the client's behalf) per matter.
with source as (
    select * from {{ actionstep_current('disbursements') }}
)

select
    cast(id as bigint) as disbursement_id,
    {{ as_link_id('action') }} as action_id,
    try_cast(record ->> 'date' as date) as disbursement_date,
    {{ as_text('description') }} as description,
    {{ as_number('quantity') }} as quantity,
    {{ as_number('unitPrice') }} as unit_price,
    {{ as_link_id('enteredByParticipant') }} as entered_by_participant_id
from source
