-- Matter types (actiontypes): the type of a matter becomes x_matter_type and a crm.tag.
with source as (
    select * from {{ actionstep_current('actiontypes') }}
)

select
    cast(id as bigint) as action_type_id,
    {{ as_text('name') }} as name,
    {{ as_tf('isDisabled') }} as is_disabled
from source
