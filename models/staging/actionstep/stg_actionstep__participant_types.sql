-- Participant types: the role a participant plays on a matter (Client, Witness, …).
with source as (
    select * from {{ actionstep_current('participanttypes', '{"companyFlag":"VARCHAR","name":"VARCHAR"}') }}
)

select
    cast(id as bigint) as participant_type_id,
    nullif(trim(r['name']), '') as name,
    (r['companyFlag'] = 'T') as is_company_type
from source
