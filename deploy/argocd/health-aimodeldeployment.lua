-- Argo CD health for aibaseline.io/AIModelDeployment. The resource is kstatus-conformant: it
-- publishes status.observedGeneration and the conditions Ready, Reconciling and Stalled.
--   Progressing: no status yet, the latest generation not yet observed, or Reconciling=True.
--   Degraded:    Stalled=True (a person must act), or Ready=False because a provision is not met.
--   Healthy:     Ready=True (every checked provision is met).
-- Ready=False for another reason, or Ready=Unknown (evidence could not be gathered), stays Progressing.
local hs = { status = "Progressing", message = "Waiting for the operator to report status" }
if obj.status == nil then
  return hs
end

local generation = obj.metadata and obj.metadata.generation
local observed = obj.status.observedGeneration
if generation ~= nil and (observed == nil or observed < generation) then
  hs.message = "Waiting for generation " .. generation .. " to be observed"
  return hs
end

local conditions = {}
for _, condition in ipairs(obj.status.conditions or {}) do
  conditions[condition.type] = condition
end

local function message(condition, fallback)
  if condition.message ~= nil and condition.message ~= "" then
    return condition.message
  end
  return fallback
end

local stalled = conditions["Stalled"]
if stalled ~= nil and stalled.status == "True" then
  return { status = "Degraded", message = message(stalled, "Stalled: " .. (stalled.reason or "")) }
end

local reconciling = conditions["Reconciling"]
if reconciling ~= nil and reconciling.status == "True" then
  return { status = "Progressing", message = message(reconciling, "Reconciling") }
end

local ready = conditions["Ready"]
if ready ~= nil and ready.status == "True" then
  return { status = "Healthy", message = message(ready, "Every checked provision is met") }
end
if ready ~= nil and ready.status == "False" and ready.reason == "NotCompliant" then
  return { status = "Degraded", message = message(ready, "Not compliant") }
end
if ready ~= nil then
  hs.message = message(ready, "Ready is " .. ready.status)
end
return hs
