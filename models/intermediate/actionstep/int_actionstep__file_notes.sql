-- File notes for the lead description, as html that shows what Actionstep showed (note_html:
-- source html as html, plain text escaped with its line breaks, macro note_to_html) and as
-- plain text for search and checks (html stripped, macro html_note_to_text); flagged when the
-- note held html; a header line per note with its date (UTC) and author.
-- Inline images (data: URIs) are counted here and become attachments
-- (int_actionstep__note_images). Empty notes are dropped.
with notes as (
    select * from {{ ref('stg_actionstep__file_notes') }}
),

converted as (
    select
        *,
        {{ is_html('note_text') }} as had_html,
        {{ note_to_html('note_text') }} as note_html,
        case
            when {{ is_html('note_text') }} then {{ html_note_to_text('note_text') }}
            else trim(replace(note_text, chr(13) || chr(10), chr(10)))
        end as plain_text
    from notes
)

select
    file_note_id,
    action_id,
    noted_at,
    entered_at,
    entered_by,
    is_system,
    had_html,
    plain_text,
    note_html,
    '[' || strftime(coalesce(noted_at, entered_at), '%Y-%m-%d %H:%M') || ' UTC, '
    || coalesce(entered_by, 'unknown author') || case when is_system then ' (system)' else '' end
    || ']' as header,
    len(regexp_extract_all(coalesce(note_text, ''), '(?i)<img[^>]+src="data:image/')) as inline_images
from converted
where nullif(trim(coalesce(plain_text, '')), '') is not null
    or len(regexp_extract_all(coalesce(note_text, ''), '(?i)<img[^>]+src="data:image/')) > 0
