-- File notes on matters, as written (text may hold HTML); system notes are marked.
with source as (
    select * from {{ actionstep_current('filenotes') }}
)

select
    cast(id as bigint) as file_note_id,
    {{ as_link_id('action') }} as action_id,
    {{ as_timestamp('enteredTimestamp') }} as entered_at,
    {{ as_timestamp('noteTimestamp') }} as noted_at,
    record ->> 'text' as note_text,
    {{ as_text('enteredBy') }} as entered_by,
    {{ as_text('source') }} = 'System' as is_system,
    {{ as_link_id('participant') }} as participant_id
from source
