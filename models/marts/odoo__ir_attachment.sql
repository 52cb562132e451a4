-- Files on their lead (ir.attachment) with the original file name and the MIME type sniffed
-- at extract. The bytes are in the file store at _file_path (files/<sha256>, relative to the
-- working directory) and the lead is named by external id in _res_xmlid: the loader reads the
-- file, sends it as datas and resolves res_id. Missing files are in int_records_held_for_review.
with attachments as (
    select * from {{ ref('int_captorra__attachments') }}
    where review_reason is null
),

final as (
    select
        attachment_xmlid as id,
        file_name as name,
        coalesce(mimetype, 'application/octet-stream') as mimetype,
        'binary' as type,
        'crm.lead' as res_model,
        lead_xmlid as _res_xmlid,
        sha256 as _sha256,
        'files/' || sha256 as _file_path,
        file_size as _file_size,
        'captorra' as _source_system,
        'attachment' as _source_model,
        lead_id || '/' || file_name as _source_id
    from attachments

    union all by name

    -- Actionstep matter documents (bytes in the file store) and inline images of file notes (bytes
    -- in `datas`, base64, straight from the note: no file in the store).
    select
        attachment_xmlid as id,
        file_name as name,
        coalesce(mimetype, 'application/octet-stream') as mimetype,
        'binary' as type,
        'crm.lead' as res_model,
        lead_xmlid as _res_xmlid,
        sha256 as _sha256,
        'files/' || sha256 as _file_path,
        file_size as _file_size,
        'actionstep' as _source_system,
        'document' as _source_model,
        cast(document_id as varchar) as _source_id
    from {{ ref('int_actionstep__attachments') }}
    where review_reason is null

    union all by name

    select
        images.attachment_xmlid as id,
        images.file_name as name,
        images.mimetype,
        'binary' as type,
        'crm.lead' as res_model,
        images.datas,
        leads.lead_xmlid as _res_xmlid,
        sha256(from_base64(images.datas)) as _sha256,
        images.file_size as _file_size,
        'actionstep' as _source_system,
        'note_image' as _source_model,
        images.file_note_id || '/' || images.image_number as _source_id
    from {{ ref('int_actionstep__note_images') }} as images
    inner join {{ ref('int_actionstep__leads') }} as leads
        on images.action_id = leads.action_id
    where leads.review_reason is null
)

select
    *,
    {{ row_hash() }} as _row_hash
from final
