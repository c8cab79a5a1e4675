namespace BackupWorkflows.Kvm;
