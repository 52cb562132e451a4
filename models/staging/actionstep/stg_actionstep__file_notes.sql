-- File notes on matters, as written (text may hold HTML); system notes are marked.
with source as (
    select * from {{ actionstep_current('filenotes', '{"enteredBy":"VARCHAR","enteredTimestamp":"VARCHAR","noteTimestamp":"VARCHAR","source":"VARCHAR","text":"VARCHAR","links":{"action":"VARCHAR","participant":"VARCHAR"}}') }}
)

select
    cast(id as bigint) as file_note_id,
    try_cast(r['links']['action'] as bigint) as action_id,
    {{ actionstep_timestamp("r['enteredTimestamp']") }} as entered_at,
    {{ actionstep_timestamp("r['noteTimestamp']") }} as noted_at,
    r['text'] as note_text,
    nullif(trim(r['enteredBy']), '') as entered_by,
    nullif(trim(r['source']), '') = 'System' as is_system,
    try_cast(r['links']['participant'] as bigint) as participant_id
from source
