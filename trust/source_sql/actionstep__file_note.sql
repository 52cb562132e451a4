-- File notes of matters: each note's text must be in its matter's description (Matter.notes
-- -> crm.lead.description). Notes with markup are compared as HTML, plain ones as text.
-- System notes are kept like user notes.
with notes as (
    select id, record from {current:filenotes}
),

shaped as (
    select
        id,
        json_extract_string(record, '$.links.action') as action_id,
        json_extract_string(record, '$.text') as note
    from notes
)

select
    id as source_id,
    'legal2odoo.actionstep_matter_' || regexp_replace(action_id, '[^A-Za-z0-9_]', '_', 'g')
        as external_id,
    'file note' as record_type,
    case when nullif(trim(note), '') is null then 'empty note' end as excluded_rule,
    case when not regexp_matches(note, '<[a-zA-Z][^>]*>') then note end as note_text,
    case when regexp_matches(note, '<[a-zA-Z][^>]*>') then note end as note_html
from shaped
