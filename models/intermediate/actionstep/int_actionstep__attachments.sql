-- Matter documents with downloaded content, on the matter's lead (mapping 6): file name as
-- sanitised at extract, MIME type sniffed from the bytes, bytes in the file store by sha256.
-- Placeholders (no content) and soft-deleted documents are not attachments; a document whose
-- matter is unknown or held for review, or whose content was not downloaded, is a review entry.
with documents as (
    select * from {{ ref('stg_actionstep__documents') }}
),

files as (
    select * from {{ ref('stg_actionstep__document_files') }}
),

leads as (
    select
        action_id,
        lead_xmlid,
        review_reason
    from {{ ref('int_actionstep__leads') }}
)

select
    documents.document_id,
    documents.action_id,
    leads.lead_xmlid,
    {{ external_id("'actionstep_document'", 'documents.document_id') }} as attachment_xmlid,
    coalesce(files.original_name, documents.name, 'document-' || documents.document_id) as file_name,
    files.mimetype,
    files.sha256,
    files.stored_size as file_size,
    documents.created_at,
    case
        when leads.action_id is null then 'attachment_unknown_matter'
        when leads.review_reason is not null then 'attachment_matter_held'
        when files.sha256 is null then 'attachment_not_downloaded'
    end as review_reason
from documents
left join files
    on documents.document_id = files.document_id
left join leads
    on documents.action_id = leads.action_id
where not documents.is_deleted
    and coalesce(documents.file_size, 0) > 0
    and documents.status is distinct from 'pending'
