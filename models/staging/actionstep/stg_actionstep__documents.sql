-- Matter documents with the downloaded file (files_manifest: sha256 in the file store, sniffed
-- MIME type, sanitised name). Placeholders (no content) and soft-deleted documents have none.
with source as (
    select * from {{ actionstep_current('actiondocuments') }}
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
    {{ as_link_id('action') }} as action_id,
    {{ as_text('name') }} as name,
    {{ as_text('extension') }} as extension,
    {{ as_text('status') }} as status,
    cast(record ->> 'fileSize' as bigint) as file_size,
    {{ as_tf('isDeleted') }} as is_deleted,
    {{ as_timestamp('createdTimestamp') }} as created_at,
    {{ as_timestamp('modifiedTimestamp') }} as modified_at,
    {{ as_link_id('createdBy') }} as created_by_participant_id,
    files.sha256,
    files.size as stored_size,
    files.mime as mimetype,
    files.original_name
from source
left join files
    on source.id = files.id
