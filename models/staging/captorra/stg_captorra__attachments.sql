-- Files the export names per lead: present ones with their sha256 in the file store
-- (files/<sha256>) and the MIME type sniffed at extract; missing ones with present = false.
-- One row per lead and file name, from the newest export run (base_captorra__attachments).
with attachments as (
    select * from {{ ref('base_captorra__attachments') }}
)

select
    trim(lead_id) as lead_id,
    file_name,
    coalesce(present, false) as is_present,
    sha256,
    size as file_size,
    mime as mimetype,
    _run_id as extract_run_id
from attachments
