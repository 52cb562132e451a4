-- Inline images of file notes (<img src="data:image/…;base64,…">) as attachments of the
-- matter's lead: the bytes are in the note itself (base64), so the row carries them as datas.
with notes as (
    select
        file_note_id,
        action_id,
        note_text
    from {{ ref('stg_actionstep__file_notes') }}
    where note_text ilike '%<img%data:image/%'
),

images as (
    select
        file_note_id,
        action_id,
        unnest(regexp_extract_all(note_text, '(?i)<img[^>]+src="data:(image/[a-z0-9.+-]+);base64,([^"]+)"', 1)) as mimetype,
        unnest(regexp_extract_all(note_text, '(?i)<img[^>]+src="data:(image/[a-z0-9.+-]+);base64,([^"]+)"', 2)) as datas
    from notes
),

numbered as (
    select
        *,
        row_number() over (partition by file_note_id order by datas) as image_number
    from images
)

select
    file_note_id,
    action_id,
    image_number,
    lower(mimetype) as mimetype,
    datas,
    'note-' || file_note_id || '-image-' || image_number || '.'
    || coalesce(nullif(split_part(split_part(lower(mimetype), '/', 2), '+', 1), ''), 'bin') as file_name,
    {{ external_id("'actionstep_note_image'", "file_note_id || '_' || image_number") }} as attachment_xmlid,
    octet_length(from_base64(datas)) as file_size
from numbered
