-- Downloaded document files (base_actionstep__files_manifest), one row per document: sha256 in
-- the file store, size, sniffed MIME type, sanitised name.
with files as (
    select * from {{ ref('base_actionstep__files_manifest') }}
)

select
    cast(id as bigint) as document_id,
    sha256,
    size as stored_size,
    mime as mimetype,
    original_name
from files
