-- Matter types (actiontypes): the type of a matter becomes x_matter_type and a crm.tag.
with source as (
    select * from {{ actionstep_current('actiontypes', '{"isDisabled":"VARCHAR","name":"VARCHAR"}') }}
)

select
    cast(id as bigint) as action_type_id,
    nullif(trim(r['name']), '') as name,
    (r['isDisabled'] = 'T') as is_disabled
from source
