-- Files the export names per lead: present ones with their sha256 in the file store
-- (files/<sha256>) and the MIME type sniffed at extract; missing ones with present = false.
-- One row per lead and file name: the newest export run wins.
with source as (
    select * from {{ source('captorra', 'attachments') }}
)

select
    trim(lead_id) as lead_id,
    file_name,
    coalesce(present, false) as is_present,
    sha256,
    size as file_size,
    mime as mimetype,
    _run_id as extract_run_id
from source
qualify row_number() over (
        partition by trim(lead_id), file_name order by _run_id desc
    ) = 1
