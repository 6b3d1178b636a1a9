print("presign")
