namespace BackupWorkflows.Backup;
