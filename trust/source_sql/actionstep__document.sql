-- Documents of matters; deleted ones and those without content (pending uploads,
-- placeholders) are excluded by rule. The name is the one the extract downloaded the file
-- under (files_manifest: no directories or reserved characters), else the document's own.
with documents as (
    select id, record from {current:actiondocuments}
),

manifest as (
    select id, original_name from {raw:actionstep/files_manifest}
    qualify row_number() over (partition by id order by _extracted_at desc, _run_id desc) = 1
)

select
    documents.id as source_id,
    'legal2odoo.actionstep_document_' || regexp_replace(documents.id, '[^A-Za-z0-9_]', '_', 'g') as external_id,
    'document' as record_type,
    case
        when json_extract_string(documents.record, '$.isDeleted') = 'T' then 'deleted in Actionstep'
        when coalesce(try_cast(json_extract_string(documents.record, '$.fileSize') as bigint), 0) = 0
            then 'pending: no content uploaded'
    end as excluded_rule,
    coalesce(manifest.original_name, json_extract_string(documents.record, '$.name')) as name,
    json_extract_string(documents.record, '$.links.action') as action_id,
    'crm.lead' as res_model
from documents
left join manifest
    on documents.id = manifest.id
