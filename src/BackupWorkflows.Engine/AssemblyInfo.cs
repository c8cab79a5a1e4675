namespace BackupWorkflows.Engine;
