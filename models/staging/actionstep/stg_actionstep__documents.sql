-- Matter documents with the downloaded file (files_manifest: sha256 in the file store, sniffed
-- MIME type, sanitised name). Placeholders (no content) and soft-deleted documents have none.
with source as (
    select * from {{ actionstep_current('actiondocuments', '{"createdTimestamp":"VARCHAR","extension":"VARCHAR","fileSize":"VARCHAR","isDeleted":"VARCHAR","modifiedTimestamp":"VARCHAR","name":"VARCHAR","status":"VARCHAR","links":{"action":"VARCHAR","createdBy":"VARCHAR"}}') }}
),

files as (
    select *
    from {{ actionstep_raw('files_manifest', [('id', 'varchar'), ('sha256', 'varchar'),
        ('size', 'bigint'), ('mime', 'varchar'), ('original_name', 'varchar'),
        ('_extracted_at', 'timestamp'), ('_run_id', 'varchar')]) }}
    qualify row_number() over (partition by id order by _extracted_at desc, _run_id desc) = 1
)

select
    cast(source.id as bigint) as document_id,
    try_cast(r['links']['action'] as bigint) as action_id,
    nullif(trim(r['name']), '') as name,
    nullif(trim(r['extension']), '') as extension,
    nullif(trim(r['status']), '') as status,
    cast(r['fileSize'] as bigint) as file_size,
    (r['isDeleted'] = 'T') as is_deleted,
    {{ actionstep_timestamp("r['createdTimestamp']") }} as created_at,
    {{ actionstep_timestamp("r['modifiedTimestamp']") }} as modified_at,
    try_cast(r['links']['createdBy'] as bigint) as created_by_participant_id,
    files.sha256,
    files.size as stored_size,
    files.mime as mimetype,
    files.original_name
from source
left join files
    on source.id = files.id
