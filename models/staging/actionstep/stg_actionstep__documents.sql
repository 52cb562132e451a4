-- Matter documents. Placeholders (no content) and soft-deleted documents have no downloaded
-- file; the downloaded ones are stg_actionstep__document_files.
with source as (
    select * from {{ actionstep_current('actiondocuments', '{"createdTimestamp":"VARCHAR","extension":"VARCHAR","fileSize":"VARCHAR","isDeleted":"VARCHAR","modifiedTimestamp":"VARCHAR","name":"VARCHAR","status":"VARCHAR","links":{"action":"VARCHAR","createdBy":"VARCHAR"}}') }}
)

select
    cast(id as bigint) as document_id,
    try_cast(r['links']['action'] as bigint) as action_id,
    nullif(trim(r['name']), '') as name,
    nullif(trim(r['extension']), '') as extension,
    nullif(trim(r['status']), '') as status,
    cast(r['fileSize'] as bigint) as file_size,
    (r['isDeleted'] = 'T') as is_deleted,
    {{ actionstep_timestamp("r['createdTimestamp']") }} as created_at,
    {{ actionstep_timestamp("r['modifiedTimestamp']") }} as modified_at,
    try_cast(r['links']['createdBy'] as bigint) as created_by_participant_id
from source
