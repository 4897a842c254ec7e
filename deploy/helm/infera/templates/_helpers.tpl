{{- define "infera.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "infera.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "infera.labels" -}}
{{ include "infera.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* The probes' scheme: HTTPS when the HTTP port serves TLS. */}}
{{- define "infera.scheme" -}}
{{- if .Values.tls.enabled }}HTTPS{{ else }}HTTP{{ end -}}
{{- end -}}

{{- define "infera.modelRepository" -}}
{{- if eq .Values.modelRepository.type "s3" -}}
{{- required "modelRepository.s3.uri is required when modelRepository.type is s3" .Values.modelRepository.s3.uri -}}
{{- else if eq .Values.modelRepository.type "pvc" -}}
/models
{{- else -}}
{{- fail "modelRepository.type must be pvc or s3" -}}
{{- end -}}
{{- end -}}

{{/* The autoscaler's scale-up and scale-down behaviour (autoscaling/v2 HPAScalingRules). */}}
{{- define "infera.behavior" -}}
{{- $b := .Values.autoscaling.behavior -}}
scaleUp:
  stabilizationWindowSeconds: {{ $b.scaleUp.stabilizationWindowSeconds }}
  selectPolicy: Max
  policies:
    - type: Percent
      value: {{ $b.scaleUp.percentPerPeriod }}
      periodSeconds: {{ $b.scaleUp.periodSeconds }}
    - type: Pods
      value: {{ $b.scaleUp.podsPerPeriod }}
      periodSeconds: {{ $b.scaleUp.periodSeconds }}
scaleDown:
  stabilizationWindowSeconds: {{ $b.scaleDown.stabilizationWindowSeconds }}
  selectPolicy: Max
  policies:
    - type: Percent
      value: {{ $b.scaleDown.percentPerPeriod }}
      periodSeconds: {{ $b.scaleDown.periodSeconds }}
{{- end -}}
