-- Custom fields of a participant type (id "type--name"), e.g. a client's preferred contact.
with source as (
    select * from {{ actionstep_current('participanttypedatafields') }}
)

select
    id as field_id,
    {{ as_link_id('participantType') }} as participant_type_id,
    {{ as_text('name') }} as name,
    {{ as_text('label') }} as label,
    {{ as_text('dataType') }} as data_type,
    cast(record ->> 'formOrder' as integer) as form_order
from source
