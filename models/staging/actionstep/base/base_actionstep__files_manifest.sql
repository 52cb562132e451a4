-- One raw row per downloaded Actionstep document file (files_manifest: the document id, sha256
-- in the file store, size, sniffed MIME type, sanitised name): the newest download wins.
with source as (
    select *
    from {{ actionstep_raw('files_manifest', [('id', 'varchar'), ('sha256', 'varchar'),
        ('size', 'bigint'), ('mime', 'varchar'), ('original_name', 'varchar'),
        ('_extracted_at', 'timestamp'), ('_run_id', 'varchar')]) }}
),

latest as (
    select *
    from source
    qualify row_number() over (partition by id order by _extracted_at desc, _run_id desc) = 1
)

select * from latest
