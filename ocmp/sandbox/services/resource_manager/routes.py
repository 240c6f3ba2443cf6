"""Resource Manager's operations: method, path, name, handler, what is partial (moto's
``urls.py``). The docs table is generated from this list."""

from __future__ import annotations

from ocmp.sandbox.core.routing import RouteTable
from ocmp.sandbox.services.resource_manager import responses as r
from ocmp.sandbox.services.resource_manager.models import PREFIX

ROUTES = RouteTable("Resource Manager", PREFIX, [
    ("POST", "/stacks", "CreateStack", r.create_stack, "ZIP_UPLOAD config sources only"),
    ("GET", "/workRequests/<workRequestId>", "GetWorkRequest", r.get_work_request,
     "CreateStack's work request; its status follows the stack's lifecycleState"),
    ("GET", "/stacks", "ListStacks", r.list_stacks),
    ("GET", "/stacks/<stackId>", "GetStack", r.get_stack),
    ("PUT", "/stacks/<stackId>", "UpdateStack", r.update_stack),
    ("DELETE", "/stacks/<stackId>", "DeleteStack", r.delete_stack),
    ("GET", "/stacks/<stackId>/tfConfig", "GetStackTfConfig", r.get_stack_tf_config),
    ("POST", "/jobs", "CreateJob", r.create_job, "PLAN, APPLY and DESTROY"),
    ("GET", "/jobs/<jobId>", "GetJob", r.get_job, "Each GET advances the job one step"),
    ("GET", "/jobs", "ListJobs", r.list_jobs),
    ("GET", "/jobs/<jobId>/logs", "GetJobLogs", r.get_job_logs),
    ("GET", "/jobs/<jobId>/logs/content", "GetJobLogsContent", r.get_job_logs_content),
    ("GET", "/jobs/<jobId>/tfState", "GetJobTfState", r.get_job_tf_state),
    ("DELETE", "/jobs/<jobId>", "CancelJob", r.cancel_job),
])
