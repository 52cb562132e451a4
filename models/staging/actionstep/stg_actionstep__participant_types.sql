-- Participant types: the role a participant plays on a matter (Client, Witness, …).
with source as (
    select * from {{ actionstep_current('participanttypes') }}
)

select
    cast(id as bigint) as participant_type_id,
    {{ as_text('name') }} as name,
    {{ as_tf('companyFlag') }} as is_company_type
from source
